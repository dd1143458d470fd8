import { spawn } from "node:child_process";

/**
 * Opens the console in the desktop's browser with xdg-open; says so when there is none (a
 * server, a container) instead of failing: the URL is printed either way.
 */
export function openBrowser(url: string, say: (line: string) => void): void {
  const child = spawn("xdg-open", [url], { stdio: "ignore", detached: true });
  child.once("error", () => say(`--open: no xdg-open on this machine; open ${url} yourself`));
  child.once("exit", (code) => {
    if (code !== 0 && code !== null)
      say(`--open: xdg-open could not open a browser (exit ${code}); open ${url} yourself`);
  });
  child.unref();
}
