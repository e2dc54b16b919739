// A Tail Worker, as a site may run one beside the gateway's Worker: it is
// handed the Worker's logs after each request, and prints each audit record
// it finds as one line of JSON, after "audit: ", for the tests to read.
export default {
  tail(events) {
    for (const event of events) {
      for (const log of event.logs) {
        for (const part of log.message) {
          if (part !== null && typeof part === "object" && "audit" in part) {
            console.log("audit: " + JSON.stringify(part.audit));
          }
        }
      }
    }
  },
};
