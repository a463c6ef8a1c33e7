import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const defaultMessages: Record<number, { title: string; message: string }> = {
  400: {
    title: "That request didn't make sense",
    message: "Something in the address or the form was not valid.",
  },
  403: { title: "Not allowed", message: "You don't have permission to do that." },
  404: {
    title: "Page not found",
    message: "We couldn't find what you were looking for. It may have been moved or removed.",
  },
  410: { title: "Gone", message: "This is no longer here." },
  413: { title: "Too large", message: "What you sent is larger than we accept." },
  429: { title: "Too many attempts", message: "Please wait a little and try again." },
  503: {
    title: "Temporarily unavailable",
    message: "Crosswalk can't reach its database right now. Please try again shortly.",
  },
};

/** The one error page: a status, a plain message and a way back. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  let status = 500;
  let title = "Something went wrong";
  let message = "An unexpected error happened on our side. Please try again.";

  if (isRouteErrorResponse(error)) {
    status = error.status;
    const known = defaultMessages[status];
    title = known?.title ?? `Error ${status}`;
    message =
      typeof error.data === "string" && error.data.length > 0 ? error.data : (known?.message ?? message);
  }

  return (
    <div className="error-page">
      <p className="error-page__status">{status}</p>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">Back to the latest discussions</Link>
      </p>
    </div>
  );
}
