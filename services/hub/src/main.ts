import { createHubApp } from './app.factory.js';
import { ConfigError, loadHubConfig } from './config/hub-config.js';

async function main(): Promise<void> {
  const config = loadHubConfig(process.env);
  const app = await createHubApp(config);
  await app.listen({ host: config.http.host, port: config.http.port });
}

main().catch((error: unknown) => {
  // Start-up failures go to stderr as one clear message; a ConfigError names the bad variables.
  process.stderr.write(`fleetwave-hub: ${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
});
