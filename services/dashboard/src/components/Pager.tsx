/** Forward-only cursors: "previous" goes back through the cursors already seen. */
export function Pager(props: {
  page: number;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  disabled?: boolean;
}) {
  return (
    <div className="pager">
      <button
        type="button"
        className="button"
        onClick={props.onPrevious}
        disabled={props.disabled || props.page === 0}
        data-testid="page-previous"
      >
        ← Previous
      </button>
      <span className="muted" data-testid="page-number">
        Page {props.page + 1}
      </span>
      <button
        type="button"
        className="button"
        onClick={props.onNext}
        disabled={props.disabled || !props.hasNext}
        data-testid="page-next"
      >
        Next →
      </button>
    </div>
  );
}
