import { useEffect, useState } from "preact/hooks";

/** The view and its argument, from the URL's hash: #/trace/<eventId>. */
export interface Route {
  view: string;
  arg: string;
}

function current(): Route {
  const [view = "timeline", ...rest] = location.hash.replace(/^#\/?/, "").split("/");
  return { view: view || "timeline", arg: decodeURIComponent(rest.join("/")) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}

export const href = (view: string, arg?: string) =>
  `#/${view}${arg ? `/${encodeURIComponent(arg)}` : ""}`;
