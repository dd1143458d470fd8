import { useEffect, useState } from "preact/hooks";
import { getJson, postJson } from "../api";
import { useLiveLog } from "../live-log";
import { href } from "../router";

interface Letter {
  messageId: string;
  kind: string;
  reason: string;
  sentAt?: string;
  attempts?: number;
  event?: { id?: string; source: string; "detail-type": string; detail: unknown };
}

interface ServiceLetters {
  service: string;
  queue: string;
  bus: string;
  depth: number;
  letters: Letter[];
}

/** Each service's dead-letter queue: read, redriven and purged as `pnpm dlq` does. */
export function DeadLettersView() {
  const log = useLiveLog();
  const queueEntries = log.entries.filter((e) => e.kind === "queue").length;
  const [services, setServices] = useState<ServiceLetters[]>();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [reload, setReload] = useState(0);
  useEffect(() => {
    getJson<ServiceLetters[]>("/_console/dead-letters").then(setServices, (e: Error) =>
      setError(e.message),
    );
  }, [queueEntries, reload]);
  const act = async (what: Promise<string>) => {
    setError(undefined);
    try {
      setMessage(await what);
    } catch (failure) {
      setError((failure as Error).message);
    }
    setReload((n) => n + 1);
  };
  return (
    <section aria-labelledby="dlq-title">
      <h2 id="dlq-title">Dead letters</h2>
      {message && (
        <p role="status" class="status">
          {message}
        </p>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {services?.map((service) => (
        <ServiceQueue key={service.service} service={service} act={act} />
      ))}
    </section>
  );
}

function ServiceQueue({
  service,
  act,
}: {
  service: ServiceLetters;
  act: (what: Promise<string>) => void;
}) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const redrive = (messageIds?: string[]) =>
    act(
      postJson<{ redriven: string[]; kept: { messageId: string; why: string }[] }>(
        "/_console/redrive",
        {
          service: service.service,
          messageIds,
        },
      ).then(
        (r) =>
          `${service.service}: redrove ${r.redriven.length} letter(s) to ${service.bus}${r.kept.map((k) => `; kept ${k.messageId}: ${k.why}`).join("")}`,
      ),
    );
  return (
    <article class="dlq" data-service={service.service} aria-labelledby={`dlq-${service.service}`}>
      <h3 id={`dlq-${service.service}`}>
        {service.service}{" "}
        <span class={service.depth > 0 ? "depth has-letters" : "depth"}>
          {service.depth} in {service.queue}
        </span>
      </h3>
      {service.letters.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Select</th>
              <th scope="col">Error</th>
              <th scope="col">Attempts</th>
              <th scope="col">Age</th>
              <th scope="col">Original event</th>
            </tr>
          </thead>
          <tbody>
            {service.letters.map((letter) => (
              <tr key={letter.messageId}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select letter ${letter.messageId}`}
                    checked={selected.has(letter.messageId)}
                    onChange={(e) => {
                      const next = new Set(selected);
                      if (e.currentTarget.checked) next.add(letter.messageId);
                      else next.delete(letter.messageId);
                      setSelected(next);
                    }}
                  />
                </td>
                <td class="reason">{letter.reason}</td>
                <td>{letter.attempts ?? "?"}</td>
                <td>{letter.sentAt ? age(letter.sentAt) : "?"}</td>
                <td>
                  {letter.event?.id && (
                    <a href={href("trace", letter.event.id)}>{letter.event.id}</a>
                  )}{" "}
                  <code>{JSON.stringify(letter.event?.detail)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="actions">
        <button type="button" disabled={selected.size === 0} onClick={() => redrive([...selected])}>
          Redrive selected ({selected.size})
        </button>
        <button type="button" disabled={service.letters.length === 0} onClick={() => redrive()}>
          Redrive all
        </button>
        {confirming ? (
          <fieldset class="confirm">
            Delete every letter of {service.queue}?{" "}
            <button
              type="button"
              class="danger"
              onClick={() => {
                setConfirming(false);
                act(
                  postJson("/_console/purge", { service: service.service }).then(
                    () => `${service.queue} purged`,
                  ),
                );
              }}
            >
              Yes, purge
            </button>{" "}
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </fieldset>
        ) : (
          <button type="button" disabled={service.depth === 0} onClick={() => setConfirming(true)}>
            Purge…
          </button>
        )}
      </div>
    </article>
  );
}

function age(iso: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return seconds < 120
    ? `${seconds} s`
    : seconds < 7200
      ? `${Math.round(seconds / 60)} min`
      : `${Math.round(seconds / 3600)} h`;
}
