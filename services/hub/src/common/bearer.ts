/** The token of an `Authorization: Bearer <token>` header; undefined when it is not one. */
export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
