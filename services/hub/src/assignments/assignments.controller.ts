import { Controller, Get, Inject, Query, Req, Res, UseGuards } from '@nestjs/common';
import { type AssignmentsResponse } from '@fleetwave/contracts';
import { type FastifyReply } from 'fastify';
import { AgentAuthGuard, type AgentRequest } from '../clusters/agent-auth.guard.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { invalidArgument, notFound } from '../common/domain-error.js';
import { AssignmentNotifier } from './assignment-notifier.js';
import { AssignmentsRepository } from './assignments.repository.js';

/**
 * What an agent must run, long-polled: `?generation=N` is what the agent has. A different
 * generation answers at once; the same one is held until it changes or the poll times out (304).
 * Everything is scoped to the calling cluster.
 */
@Controller('agent/v1')
@UseGuards(AgentAuthGuard)
export class AssignmentsController {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(AssignmentsRepository) private readonly assignments: AssignmentsRepository,
    @Inject(AssignmentNotifier) private readonly notifier: AssignmentNotifier,
  ) {}

  @Get('assignments')
  async poll(
    @Req() request: AgentRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('generation') generationParam: string | undefined,
  ): Promise<AssignmentsResponse | undefined> {
    const { id: clusterId, assignmentGeneration } = request.cluster!;
    const known = parseGeneration(generationParam);
    const held = this.notifier.wait(clusterId, this.config.rollouts.assignmentsPollTimeoutSeconds * 1000);
    // The agent hung up: stop holding. A plain listener, not an AbortController: aborting one makes a
    // DOMException (and its stack) per poll, which was measurable at 10,000 agents.
    request.raw.once('close', held.cancel);
    try {
      // An unchanged generation is the common case (every agent, every poll timeout): it costs no
      // read beyond the credential lookup, which read the generation too; it is re-read only if a
      // wake-up for this cluster came between that read and the waiter's registration above. After
      // a timeout while LISTEN stayed up nothing was committed for the cluster: no read either.
      // Only a changed generation reads the assignments.
      if (known !== undefined) {
        let generation = this.notifier.changedSince(clusterId, request.clusterReadAt!)
          ? await this.assignments.generation(clusterId)
          : assignmentGeneration;
        if (generation === known) {
          const outcome = await held.done;
          if (outcome === 'timeout' && held.unbroken()) return notModified(reply);
          generation = await this.assignments.generation(clusterId);
          if (generation === known) return notModified(reply);
        }
        if (generation === null) throw notFound('the cluster no longer exists');
      }
      const current = await this.assignments.forCluster(clusterId);
      if (current === null) throw notFound('the cluster no longer exists');
      if (current.generation === known) return notModified(reply);
      return current;
    } finally {
      request.raw.off('close', held.cancel);
      held.cancel();
      // Shutting down: the server closes idle connections only once, when it starts closing, so a
      // poll answered after that must close its own or the shutdown waits out the keep-alive.
      if (this.notifier.draining) void reply.header('connection', 'close');
    }
  }
}

function notModified(reply: FastifyReply): undefined {
  void reply.status(304);
  return undefined;
}

function parseGeneration(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) throw invalidArgument('generation must be a non-negative integer');
  return Number(value);
}
