export async function stopServices(): Promise<void> {
  const services = globalThis.__fleetwaveServices ?? [];
  globalThis.__fleetwaveServices = undefined;
  await Promise.allSettled(services.map((s) => s.stop()));
}
