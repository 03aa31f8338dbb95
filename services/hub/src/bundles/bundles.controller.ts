import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import {
  type BundleBatchResponse,
  BundleBatchRequestSchema,
  type BundleResponse,
  DigestSchema,
} from '@fleetwave/contracts';
import { AssignmentsRepository } from '../assignments/assignments.repository.js';
import { AgentAuthGuard, type AgentRequest } from '../clusters/agent-auth.guard.js';
import { invalidArgument, notFound } from '../common/domain-error.js';
import { parseInput } from '../common/zod-input.js';
import { planBundleBatch } from './bundle-batch.js';
import { BundlesRepository } from './bundles.repository.js';

/** Bundles by digest, each served only to a cluster it is assigned to. */
@Controller('agent/v1')
@UseGuards(AgentAuthGuard)
export class BundlesController {
  constructor(
    @Inject(AssignmentsRepository) private readonly assignments: AssignmentsRepository,
    @Inject(BundlesRepository) private readonly bundles: BundlesRepository,
  ) {}

  /**
   * Many bundles in one request (three reads however many are asked for, where one GET per bundle
   * costs three each): those the cluster may read, in the order asked, up to the byte budget.
   */
  @Post('bundles/batch')
  @HttpCode(200)
  async batch(@Req() request: AgentRequest, @Body() body: unknown): Promise<BundleBatchResponse> {
    const { digests } = parseInput(BundleBatchRequestSchema, body);
    const readable = [...(await this.assignments.digestsForCluster(request.cluster!.id, digests))];
    const sizes = readable.length === 0 ? new Map<string, number>() : await this.bundles.sizes(readable);
    const plan = planBundleBatch(digests, sizes);
    const manifests = await this.bundles.findMany(plan.serve);
    // A bundle collected between the two reads is unavailable, as a GET would answer then.
    const served = plan.serve.filter((digest) => manifests.has(digest));
    return {
      bundles: served.map((digest) => ({ digest, manifests: manifests.get(digest)! })),
      unavailable: [...plan.unavailable, ...plan.serve.filter((digest) => !manifests.has(digest))],
      deferred: plan.deferred,
    };
  }

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
