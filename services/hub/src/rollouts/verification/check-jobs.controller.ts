import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { type CheckJobsResponse, CheckJobOutcomeSchema } from '@fleetwave/contracts';
import { AgentAuthGuard, type AgentRequest } from '../../clusters/agent-auth.guard.js';
import { invalidArgument, notFound } from '../../common/domain-error.js';
import { CheckJobs } from './check-jobs.service.js';

/** `job` verification checks as the agents see them: the calling cluster's pending Jobs, and their outcomes. */
@Controller('agent/v1')
@UseGuards(AgentAuthGuard)
export class CheckJobsController {
  constructor(@Inject(CheckJobs) private readonly jobs: CheckJobs) {}

  @Get('check-jobs')
  async pending(@Req() request: AgentRequest): Promise<CheckJobsResponse> {
    return { jobs: await this.jobs.pending(request.cluster!.name) };
  }

  @Post('check-jobs/:id')
  @HttpCode(204)
  async outcome(@Req() request: AgentRequest, @Param('id') id: string, @Body() body: unknown): Promise<void> {
    if (!/^[0-9]{1,18}$/.test(id)) throw invalidArgument('the check job id must be digits');
    const parsed = CheckJobOutcomeSchema.safeParse(body);
    if (!parsed.success) {
      throw invalidArgument(`invalid check job outcome: ${parsed.error.issues[0]?.message ?? 'unreadable'}`);
    }
    const cluster = request.cluster!.name;
    if (!(await this.jobs.report(cluster, id, parsed.data))) {
      throw notFound(`no check job ${id} of cluster ${cluster} waits for an outcome`);
    }
  }
}
