// A Worker that does in JavaScript only what the gateway's Worker does for
// a caller: the same fetch to Spine through the mTLS certificate binding,
// with the request's path and query, its answer passed back. The benchmark
// measures the gateway beside it.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    return env.SPINE.fetch(new URL(url.pathname + url.search, env.UPSTREAM_URL), {
      headers: { "Spine-From-Asid": env.ASID, Accept: "application/json" },
      redirect: "manual",
    });
  },
};
