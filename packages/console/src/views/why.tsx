import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api";
import { href } from "../router";

interface Why {
  bus: string;
  event: { id: string };
  rules: {
    rule: string;
    ruleArn: string;
    pattern: unknown;
    matches: boolean;
    failures: { path: string; condition: unknown; actual: unknown; reason: string }[];
  }[];
}

/** For one event: every rule on its bus, matched or not, and the failing fields. */
export function WhyView({ eventId }: { eventId: string }) {
  const [input, setInput] = useState(eventId);
  const [why, setWhy] = useState<Why>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setInput(eventId);
    setWhy(undefined);
    setError(undefined);
    if (eventId) {
      getJson<Why>(`/_console/why?eventId=${encodeURIComponent(eventId)}`).then(
        setWhy,
        (e: Error) => setError(e.message),
      );
    }
  }, [eventId]);
  return (
    <section aria-labelledby="why-title">
      <h2 id="why-title">Why didn't it match?</h2>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          location.hash = href("why", input.trim());
        }}
      >
        <label>
          EventId <input value={input} onInput={(e) => setInput(e.currentTarget.value)} size={40} />
        </label>
        <button type="submit">Explain</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {why && (
        <>
          <p>
            Event <code>{why.event.id}</code> on <strong>{why.bus}</strong> (
            <a href={href("trace", why.event.id)}>trace</a>)
          </p>
          <ul class="why" data-testid="why">
            {why.rules.map((rule) => (
              <li key={rule.ruleArn} class={rule.matches ? "ok" : "failed"}>
                <strong>{rule.rule}</strong>: {rule.matches ? "matches" : "does not match"}
                {rule.failures.map((failure, index) => (
                  <p key={`${failure.path}#${index}`} class="failure" title={failure.reason}>
                    field <code>{failure.path || "(root)"}</code> is{" "}
                    <code>
                      {failure.actual === undefined ? "absent" : JSON.stringify(failure.actual)}
                    </code>
                    ; the pattern wants <code>{JSON.stringify(failure.condition)}</code>
                  </p>
                ))}
                <details>
                  <summary>pattern</summary>
                  <pre>{JSON.stringify(rule.pattern, null, 2)}</pre>
                </details>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
