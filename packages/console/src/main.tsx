import { render } from "preact";
import { App } from "./app";
import { liveLog } from "./live-log";
import "./styles.css";

liveLog.connect();
const root = document.getElementById("app");
if (root) render(<App />, root);
