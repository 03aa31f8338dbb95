import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { type VerificationRunRecord } from '../verification.repository.js';

@ObjectType('VerificationRun', {
  description:
    'One attempt of a verification check of a wave (after the wave is healthy, before soak and the next wave).',
})
export class VerificationRunModel {
  @Field(() => ID) id!: string;
  @Field(() => String) wave!: string;
  @Field(() => String, { description: 'The check name from the plan.' }) check!: string;
  @Field(() => String, { description: 'http or prometheus.' }) kind!: string;
  @Field(() => String, {
    description:
      'What it ran against: a cluster name (http), wave (prometheus) or updated-vs-baseline (compare).',
  })
  target!: string;
  @Field(() => Int) attempt!: number;
  @Field(() => Boolean, { description: "This attempt's result is the check's for its target." })
  final!: boolean;
  @Field(() => String, { nullable: true, description: 'passed, failed or error; null while it runs.' })
  result!: string | null;
  @Field(() => String, { description: 'What it saw (URLs without userinfo).' }) message!: string;
  @Field(() => GraphQLISODateTime) startedAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt!: Date | null;
  @Field(() => Int, { nullable: true }) durationMs!: number | null;
}

export function toVerificationRunModel(run: VerificationRunRecord): VerificationRunModel {
  return {
    id: run.id,
    wave: run.wave,
    check: run.checkName,
    kind: run.kind,
    target: run.target,
    attempt: run.attempt,
    final: run.final,
    result: run.result,
    message: run.message,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: run.durationMs,
  };
}
