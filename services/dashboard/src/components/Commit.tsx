import { shortSha, subject } from '../lib/format';

/** "3f2a9c1 · Ada Lovelace · web: friendlier greeting" */
export function Commit(props: {
  commit: string | null;
  author?: string | null;
  message?: string | null;
  testId?: string;
}) {
  if (!props.commit) return <span className="muted">none fetched yet</span>;
  return (
    <span className="commit" data-testid={props.testId}>
      <code className="sha" title={props.commit}>
        {shortSha(props.commit)}
      </code>
      {props.author && <span className="commit-author">{props.author}</span>}
      {props.message && <span className="commit-message">{subject(props.message)}</span>}
    </span>
  );
}
