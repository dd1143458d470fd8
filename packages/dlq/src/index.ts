export { DeadLetterQueue } from "./dead-letter-queue.js";
export { type ServiceQueue, serviceQueue } from "./service-queue.js";
