import { describe, expect, it } from "vitest";
import { QueueStore } from "../../src/queues/index.js";
import { FakeClock } from "./fake-clock.js";

const ACCOUNT = "123456789012";

function storeWith(...names: string[]) {
  const clock = new FakeClock();
  const store = new QueueStore({ clock });
  for (const name of names) {
    store.create({
      name,
      arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`,
      url: `http://127.0.0.1:4010/${ACCOUNT}/${name}`,
    });
  }
  return { store, clock };
}

describe("QueueStore", () => {
  it("finds a queue by name, ARN, or any URL ending in /<account>/<name>", () => {
    const { store } = storeWith("orders", "orders-dlq");
    const orders = store.find("orders");
    expect(orders?.name).toBe("orders");
    expect(store.find(`arn:aws:sqs:us-east-1:${ACCOUNT}:orders`)).toBe(orders);
    expect(store.find(`http://127.0.0.1:4010/${ACCOUNT}/orders`)).toBe(orders);
    expect(store.find(`https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/orders`)).toBe(orders);
    expect(store.find(`http://localhost:9999/${ACCOUNT}/orders-dlq`)?.name).toBe("orders-dlq");
  });

  it("finds nothing for another account, region or an unknown name", () => {
    const { store } = storeWith("orders");
    expect(store.find("https://sqs.us-east-1.amazonaws.com/999999999999/orders")).toBeUndefined();
    expect(store.find("arn:aws:sqs:eu-west-1:123456789012:orders")).toBeUndefined();
    expect(store.find("payments")).toBeUndefined();
    expect(store.find(`http://127.0.0.1:4010/${ACCOUNT}/payments`)).toBeUndefined();
    expect(store.find("http://127.0.0.1:4010/")).toBeUndefined();
  });

  it("lists queues by name, optionally by prefix", () => {
    const { store } = storeWith("payments", "orders-dlq", "orders");
    expect(store.list().map((q) => q.name)).toEqual(["orders", "orders-dlq", "payments"]);
    expect(store.list("orders").map((q) => q.name)).toEqual(["orders", "orders-dlq"]);
    expect(store.list("x")).toEqual([]);
  });

  it("refuses a second queue of the same name", () => {
    const { store } = storeWith("orders");
    expect(() =>
      store.create({
        name: "orders",
        arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`,
        url: "http://x/1/orders",
      }),
    ).toThrow(/orders exists already/);
  });

  it("tells onMessage listeners of messages sent to any queue, including later ones", () => {
    const { store } = storeWith("orders");
    const seen: string[] = [];
    store.onMessage((notice) => seen.push(`${notice.queueName}:${notice.body}`));
    store.find("orders")?.send("one");
    const later = store.create({
      name: "later",
      arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:later`,
      url: `http://127.0.0.1:4010/${ACCOUNT}/later`,
    });
    later.send("two");
    expect(seen).toEqual(["orders:one", "later:two"]);
  });

  it("ends the long polls of every queue on close", async () => {
    const { store } = storeWith("a", "b");
    const waits = [
      store.find("a")?.receive({ waitTimeSeconds: 20 }),
      store.find("b")?.receive({ waitTimeSeconds: 20 }),
    ];
    store.close();
    expect(await Promise.all(waits)).toEqual([[], []]);
  });
});
