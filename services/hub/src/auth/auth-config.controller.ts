import { Controller, Get, Inject } from '@nestjs/common';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';

/** What a client needs to sign in (no secret: both clients are public). */
export type AuthConfigResponse =
  | { sso: false }
  | { sso: true; issuer: string; dashboardClientId: string; cliClientId: string; scopes: string };

/**
 * GET /auth/config, unauthenticated: whether single sign-on is on and with which provider and
 * clients, so the dashboard and `fleetctl login` need no configuration of their own.
 */
@Controller('auth')
export class AuthConfigController {
  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  @Get('config')
  authConfig(): AuthConfigResponse {
    const oidc = this.config.oidc;
    if (!oidc) return { sso: false };
    return {
      sso: true,
      issuer: oidc.issuer,
      dashboardClientId: oidc.dashboardClientId,
      cliClientId: oidc.cliClientId,
      scopes: oidc.scopes,
    };
  }
}
