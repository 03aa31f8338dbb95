import { ApiTokenEntity } from './auth/api-token.entity.js';
import { ClusterEntity } from './clusters/cluster.entity.js';
import { EventEntity } from './events/event.entity.js';
import { RegistrationTokenEntity } from './registration/registration-token.entity.js';

/** Every TypeORM entity of the hub; the schema itself comes from migrations/. */
export const entities = [ApiTokenEntity, ClusterEntity, EventEntity, RegistrationTokenEntity];
