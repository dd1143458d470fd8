export { ACCOUNT, FIXTURE_SERVICE, REGION, synthFixtureApp } from "./fixture-app.js";
export { CHECKOUT_ROOT, copyCheckout, removeTempDirs, tempDir } from "./temp-repos.js";
