import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  render: (item: T, index: number) => ComponentChildren;
  label: string;
  /** Keeps the newest row in view while the user is at the bottom. */
  follow?: boolean;
}

/** Renders only the rows in view (fixed height), so 10,000 entries scroll as smoothly as 10. */
export function VirtualList<T>({ items, rowHeight, render, label, follow = true }: Props<T>) {
  const box = useRef<HTMLElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  const atBottom = useRef(true);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const element = box.current;
    if (follow && element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [items.length, follow]);

  const overscan = 10;
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + overscan);
  const rows = [];
  for (let index = first; index < last; index++) {
    const item = items[index] as T;
    rows.push(
      <li
        class="row"
        style={{ top: `${index * rowHeight}px`, height: `${rowHeight}px` }}
        key={index}
      >
        {render(item, index)}
      </li>,
    );
  }
  return (
    // Chromium makes a scrolling box keyboard-focusable by itself.
    <section
      ref={box}
      class="virtual-list"
      aria-label={label}
      onScroll={(event) => {
        const element = event.currentTarget;
        setTop(element.scrollTop);
        atBottom.current =
          element.scrollTop + element.clientHeight >= element.scrollHeight - rowHeight;
      }}
    >
      <ul class="virtual-list-body" style={{ height: `${items.length * rowHeight}px` }}>
        {rows}
      </ul>
    </section>
  );
}
