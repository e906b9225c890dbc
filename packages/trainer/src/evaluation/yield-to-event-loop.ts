/**
 * Lets the event loop run (a page repaints, handles a click; Node runs its timers) before the
 * evaluation goes on: a message through a fresh `MessageChannel`, a macrotask that browsers do not
 * throttle in background tabs as they do `setTimeout` (both platforms have `MessageChannel`).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}
