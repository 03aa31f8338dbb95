import { Controller, Get, Inject, Param, Req, UseGuards } from '@nestjs/common';
import { type BundleResponse, DigestSchema } from '@fleetwave/contracts';
import { AssignmentsRepository } from '../assignments/assignments.repository.js';
import { AgentAuthGuard, type AgentRequest } from '../clusters/agent-auth.guard.js';
import { invalidArgument, notFound } from '../common/domain-error.js';
import { BundlesRepository } from './bundles.repository.js';

/** Bundles by digest, each served only to a cluster it is assigned to. */
@Controller('agent/v1')
@UseGuards(AgentAuthGuard)
export class BundlesController {
  constructor(
    @Inject(AssignmentsRepository) private readonly assignments: AssignmentsRepository,
    @Inject(BundlesRepository) private readonly bundles: BundlesRepository,
  ) {}

  @Get('bundles/:digest')
  async bundle(@Req() request: AgentRequest, @Param('digest') digest: string): Promise<BundleResponse> {
    if (!DigestSchema.safeParse(digest).success) {
      throw invalidArgument('digest must be sha256: followed by 64 lowercase hex digits');
    }
    const clusterId = request.cluster!.id;
    const manifests = (await this.assignments.isDigestForCluster(clusterId, digest))
      ? await this.bundles.find(digest)
      : null;
    if (manifests === null) throw notFound(`no bundle ${digest} is assigned to this cluster`);
    return { digest, manifests };
  }
}
