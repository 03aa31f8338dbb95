export function ErrorBanner(props: { message: string | undefined; testId?: string; title?: string }) {
  if (!props.message) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid={props.testId}>
      {props.title && <strong>{props.title} </strong>}
      {props.message}
    </div>
  );
}
