/** What the server streams: a log entry, with the rules a bus event matched and the edges it crossed. */
interface BusEvent {
  id: string;
  source: string;
  "detail-type": string;
  time: string;
  resources: string[];
  detail: unknown;
  [key: string]: unknown;
}

export interface InvocationRecord {
  requestContext?: {
    requestId?: string;
    functionArn?: string;
    condition?: string;
    approximateInvokeCount?: number;
  };
  requestPayload?: { id?: string } & Record<string, unknown>;
  responsePayload?: unknown;
  responseContext?: { statusCode?: number; functionError?: string };
}

interface Base {
  seq: number;
  at: number;
  edges?: string[];
}

export type Entry =
  | (Base & {
      kind: "bus";
      bus: string;
      event: BusEvent;
      cause?: { eventId: string; requestId?: string; functionArn?: string; ruleArn?: string };
    })
  | (Base & {
      kind: "match";
      bus: string;
      eventId: string;
      rule: string;
      ruleArn: string;
      targets: string[];
    })
  | (Base & {
      kind: "invocation";
      phase: "start" | "end";
      eventId?: string;
      requestId: string;
      functionArn: string;
      service: string;
      attempt: number;
      outcome?: "success" | "function-error" | "service-error";
      durationMs?: number;
      maxMemoryUsedMb?: number;
      error?: { errorType: string; errorMessage: string };
      retryInSeconds?: number;
    })
  | (Base & {
      kind: "destination";
      requestId: string;
      functionArn: string;
      condition: string;
      destinationArn: string;
      delivered: boolean;
      eventId?: string;
    })
  | (Base & {
      kind: "queue";
      queue: string;
      queueArn?: string;
      messageId: string;
      body: string;
      eventId?: string;
      requestId?: string;
    })
  | (Base & { kind: "log"; service: string; requestId: string; line: string })
  | (Base & { kind: "notice"; message: string });

export interface GraphNode {
  id: string;
  kind: "bus" | "rule" | "function" | "queue";
  label: string;
  details: Record<string, unknown>;
}

export interface Graph {
  nodes: GraphNode[];
  edges: { id: string; from: string; to: string; label: string }[];
  place: { account: string; region: string };
}

/** The invocation record a destination event carries, when it is one. */
export function recordOf(entry: Entry): InvocationRecord | undefined {
  if (entry.kind === "bus") {
    const detail = entry.event.detail as InvocationRecord | undefined;
    return detail?.requestContext?.condition !== undefined ? detail : undefined;
  }
  if (entry.kind === "queue") {
    try {
      const body = JSON.parse(entry.body) as InvocationRecord;
      return body?.requestContext?.condition !== undefined ? body : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
