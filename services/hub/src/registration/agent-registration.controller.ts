import { Body, Controller, Get, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { type RegisterResponse, RegisterRequestSchema } from '@fleetwave/contracts';
import { AgentAuthGuard, type AgentRequest } from '../clusters/agent-auth.guard.js';
import { parseInput } from '../common/zod-input.js';
import { RegistrationService } from './registration.service.js';

/** The agent API: outbound calls from agents only, versioned under /agent/v1. */
@Controller('agent/v1')
export class AgentRegistrationController {
  constructor(@Inject(RegistrationService) private readonly registration: RegistrationService) {}

  @Post('register')
  @HttpCode(200)
  register(@Body() body: unknown): Promise<RegisterResponse> {
    return this.registration.register(parseInput(RegisterRequestSchema, body));
  }

  /** A new credential and signing key for the calling cluster (see RegistrationService.rotateCredential). */
  @Post('credentials/rotate')
  @HttpCode(200)
  @UseGuards(AgentAuthGuard)
  rotateCredential(@Req() request: AgentRequest): Promise<RegisterResponse> {
    return this.registration.rotateCredential(request.cluster!, request.credentialHash!);
  }

  /** What the hub knows about the calling cluster (and nothing about any other). */
  @Get('cluster')
  @UseGuards(AgentAuthGuard)
  self(@Req() request: AgentRequest) {
    const cluster = request.cluster!;
    return {
      clusterId: cluster.id,
      clusterName: cluster.name,
      labels: cluster.labels,
      cordoned: cluster.cordoned,
      credentialExpiresAt: cluster.credential.expiresAt?.toISOString() ?? null,
    };
  }
}
