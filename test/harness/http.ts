/** A response's body as parsed JSON, or its text when it is not JSON (for a caller's message). */
export async function responseBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
