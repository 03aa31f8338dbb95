import path from 'node:path';
import type * as HubFactory from '../services/hub/src/app.factory.js';
import type * as HubApplications from '../services/hub/src/applications/applications.service.js';
import type * as HubRegistration from '../services/hub/src/registration/registration.service.js';
import type * as HubRollouts from '../services/hub/src/rollouts/rollouts.service.js';
import { repoRoot } from '../test/harness/paths.js';

/**
 * A module of the hub's build (npm run build): tsx does not emit the decorator metadata NestJS and
 * @nestjs/graphql rely on, so benchmarks that run a hub in their own process load its classes from
 * there. Type it with the source module: `(await hubBuild('x.js')) as typeof X`.
 */
export const hubBuild = (module: string): Promise<unknown> =>
  import(path.join(repoRoot, 'services/hub/dist', module));

/** What every in-process benchmark hub needs: the app factory and the services they drive. */
export const { createHubApp } = (await hubBuild('app.factory.js')) as typeof HubFactory;
export const { ApplicationsService } = (await hubBuild(
  'applications/applications.service.js',
)) as typeof HubApplications;
export const { RegistrationService } = (await hubBuild(
  'registration/registration.service.js',
)) as typeof HubRegistration;
export const { RolloutsService } = (await hubBuild('rollouts/rollouts.service.js')) as typeof HubRollouts;
