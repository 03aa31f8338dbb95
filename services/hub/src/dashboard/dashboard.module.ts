import { Module } from '@nestjs/common';
import { DashboardServer } from './dashboard-server.js';

/** The browser dashboard at `/` (see dashboard-server.ts and docs/dashboard.md). */
@Module({ providers: [DashboardServer] })
export class DashboardModule {}
