import {
  DashboardAbortDocument,
  DashboardApproveDocument,
  DashboardPauseDocument,
  DashboardResumeDocument,
  DashboardRollbackDocument,
} from '@fleetwave/api-client';
import { useState } from 'react';
import { errorMessage } from '../../api/graphql';
import { type Rollout } from '../../api/model';
import { type Session, useSession } from '../../auth/session';
import { navigate, paths } from '../../router/router';
import { isFinished } from './WaveBoard';

type Action = 'approve' | 'pause' | 'resume' | 'abort' | 'rollback';

interface Button {
  action: Action;
  label: string;
  /** Why it cannot be used now; undefined when it can. */
  unavailable: string | undefined;
  confirm?: string;
  tone?: 'primary' | 'danger';
}

function buttons(rollout: Rollout): Button[] {
  const finished = isFinished(rollout);
  const paused = rollout.paused || rollout.state === 'Paused';
  const waiting =
    rollout.waves.find((w) => w.blocking?.kind === 'approval') ?? rollout.waves[rollout.currentWave];
  const changedAny = rollout.clusters.some((c) => c.assignedAt !== null);
  return [
    {
      action: 'approve',
      label: waiting && rollout.state === 'AwaitingApproval' ? `Approve ${waiting.name}` : 'Approve',
      unavailable: rollout.state === 'AwaitingApproval' ? undefined : 'No wave is waiting for approval',
      tone: 'primary',
    },
    {
      action: 'pause',
      label: 'Pause',
      unavailable: finished ? 'The rollout has finished' : paused ? 'Already paused' : undefined,
    },
    { action: 'resume', label: 'Resume', unavailable: paused && !finished ? undefined : 'Not paused' },
    {
      action: 'abort',
      label: 'Abort',
      unavailable: finished ? 'The rollout has finished' : undefined,
      confirm: 'Abort this rollout for good? Clusters keep what they were given.',
      tone: 'danger',
    },
    {
      action: 'rollback',
      label: 'Roll back',
      unavailable:
        rollout.kind === 'rollback'
          ? 'This is a rollback'
          : rollout.kind === 'catchup'
            ? 'A catch-up brings clusters to the settled revision; it is never rolled back'
            : rollout.rolledBackBy
              ? 'Already rolled back'
              : changedAny
                ? undefined
                : 'No cluster was changed yet',
      confirm: 'Start a rollback? The clusters this rollout changed return to what each ran before.',
      tone: 'danger',
    },
  ];
}

/** The buttons' mutations that answer with the rollout as it is right after the change. */
async function steer(
  session: Session,
  action: Exclude<Action, 'rollback'>,
  rollout: Rollout,
): Promise<Rollout> {
  const id = rollout.id;
  switch (action) {
    case 'approve': {
      const waiting = rollout.waves.find((w) => w.blocking?.kind === 'approval');
      return (await session.request(DashboardApproveDocument, { id, wave: waiting?.name ?? null }))
        .approveWave;
    }
    case 'pause':
      return (await session.request(DashboardPauseDocument, { id })).pauseRollout;
    case 'resume':
      return (await session.request(DashboardResumeDocument, { id })).resumeRollout;
    case 'abort':
      return (await session.request(DashboardAbortDocument, { id })).abortRollout;
  }
}

/**
 * The operator's buttons, enabled when the rollout's state allows the action (the title says why
 * not). The API decides: a refusal (another operator was quicker, nothing to roll back to…) shows
 * its message.
 */
export function RolloutActions(props: {
  rollout: Rollout;
  mutate: (run: () => Promise<Rollout>) => Promise<void>;
}) {
  const session = useSession();
  const [busy, setBusy] = useState<Action>();
  const [error, setError] = useState<string>();
  const { rollout } = props;

  const run = async (button: Button) => {
    if (button.confirm && !window.confirm(button.confirm)) return;
    setBusy(button.action);
    setError(undefined);
    try {
      if (button.action === 'rollback') {
        const { rollbackRollout } = await session.request(DashboardRollbackDocument, { id: rollout.id });
        navigate(paths.rollout(rollbackRollout.id));
        return;
      }
      const action = button.action;
      await props.mutate(() => steer(session, action, rollout));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div className="rollout-actions" data-testid="rollout-actions">
      <div className="actions">
        {buttons(rollout).map((button) => (
          <button
            key={button.action}
            type="button"
            className={`button ${button.tone ?? ''}`}
            disabled={busy !== undefined || button.unavailable !== undefined}
            title={button.unavailable}
            onClick={() => void run(button)}
            data-testid={`action-${button.action}`}
          >
            {busy === button.action ? '…' : button.label}
          </button>
        ))}
      </div>
      {error && (
        <div className="banner banner-error" role="alert" data-testid="action-error">
          <strong>Refused: </strong>
          {error}
        </div>
      )}
    </div>
  );
}
