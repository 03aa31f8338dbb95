export function LabelChips(props: { labels: Record<string, string> }) {
  const entries = Object.entries(props.labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <span className="chips">
      {entries.map(([key, value]) => (
        <span key={key} className="chip" data-testid="label-chip">
          {key}={value}
        </span>
      ))}
    </span>
  );
}
