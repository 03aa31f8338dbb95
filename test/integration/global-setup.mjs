// Jest loads globalSetup outside its module system (no moduleNameMapper), so the TypeScript harness
// is loaded through tsx here.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { startServices } = await tsImport('./start-services.ts', import.meta.url);
  await startServices();
}
