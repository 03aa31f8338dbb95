import { jest } from '@jest/globals';

// Real servers: a consumer group join or a first migration takes seconds, not milliseconds.
jest.setTimeout(60_000);
