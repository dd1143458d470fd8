import { useGraph } from "./graph";
import { useLiveLog } from "./live-log";
import { href, useRoute } from "./router";
import { ArchitectureView } from "./views/architecture";
import { DeadLettersView } from "./views/dead-letters";
import { LogsView } from "./views/logs";
import { SendView } from "./views/send";
import { TimelineView } from "./views/timeline";
import { TraceView } from "./views/trace";
import { WhyView } from "./views/why";

const VIEWS = [
  ["architecture", "Architecture"],
  ["timeline", "Timeline"],
  ["trace", "Trace"],
  ["why", "Why no match?"],
  ["dead-letters", "Dead letters"],
  ["send", "Send & sandbox"],
  ["logs", "Logs"],
] as const;

export function App() {
  const route = useRoute();
  const log = useLiveLog();
  const graph = useGraph();
  return (
    <>
      <header>
        <h1>Local cloud</h1>
        <nav aria-label="Views">
          {VIEWS.map(([view, label]) => (
            <a key={view} href={href(view)} aria-current={route.view === view ? "page" : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <output class={`connection ${log.state}`} aria-live="polite" data-testid="connection">
          {log.state === "live"
            ? "● live"
            : log.state === "connecting"
              ? "○ connecting…"
              : "✕ disconnected, reconnecting…"}
        </output>
      </header>
      <main>
        {route.view === "architecture" && <ArchitectureView graph={graph} />}
        {route.view === "timeline" && <TimelineView graph={graph} />}
        {route.view === "trace" && <TraceView eventId={route.arg} graph={graph} />}
        {route.view === "why" && <WhyView eventId={route.arg} />}
        {route.view === "dead-letters" && <DeadLettersView />}
        {route.view === "send" && <SendView graph={graph} />}
        {route.view === "logs" && <LogsView graph={graph} />}
      </main>
    </>
  );
}
