import { jest } from '@jest/globals';

// Real Kubernetes clusters start in tens of seconds each on a 2-core machine.
jest.setTimeout(600_000);
