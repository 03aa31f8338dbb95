import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Signed commits: an application may require its commits to be signed by trusted keys
 * (`verify`: `{ mode: 'gpg' | 'ssh', trustedKeys: [...] }`, public keys only), and each revision
 * records what its signature check found (`signature`: status, format, key id, signer, reason and the
 * fingerprint of the policy it was checked against). Null: the application does not verify.
 */
export class SignedCommits1796212000000 implements MigrationInterface {
  name = 'SignedCommits1796212000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE application ADD COLUMN verify jsonb`);
    await queryRunner.query(`ALTER TABLE revision ADD COLUMN signature jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE revision DROP COLUMN signature`);
    await queryRunner.query(`ALTER TABLE application DROP COLUMN verify`);
  }
}
