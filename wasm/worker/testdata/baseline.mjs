// A Worker that does in JavaScript only what the gateway's Worker does for
// a caller: the same fetch to Spine through the mTLS certificate binding,
// with the request's path and query, its answer passed back. The benchmark
// measures the gateway beside it. It answers / itself, for the tests to
// know that workerd serves.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/") return new Response("serving\n");
    return env.SPINE.fetch(new URL(url.pathname + url.search, env.UPSTREAM_URL), {
      headers: { "Spine-From-Asid": env.ASID, Accept: "application/json" },
      redirect: "manual",
    });
  },
};
