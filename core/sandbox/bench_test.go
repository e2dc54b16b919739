package sandbox

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
)

// BenchmarkSearchLoopback is the sandbox's throughput for searches over
// loopback HTTP, client and server on this machine, as a client or gateway
// benchmark would use it (target: at least 10,000 searches/s on 2 cores).
func BenchmarkSearchLoopback(b *testing.B) {
	if runtime.GOOS == "js" {
		b.Skip("no loopback network in wasm")
	}
	s, _ := setup(b, Config{Seed: 1})
	srv := httptest.NewServer(s)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}}
	defer client.CloseIdleConnections()
	urls := searchURLs(srv.URL, s)
	var next atomic.Uint64
	b.SetParallelism(4)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, urls[next.Add(1)%uint64(len(urls))], nil)
			req.Header.Set("Spine-From-Asid", "200000001234")
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "searches/s")
}

// BenchmarkSearchInProcess is the cost of one search answered in-process,
// as the embedded sandbox answers it.
func BenchmarkSearchInProcess(b *testing.B) {
	s, _ := setup(b, Config{Seed: 1})
	urls := searchURLs("http://sandbox", s)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, urls[i%len(urls)], nil)
		req.Header.Set("Spine-From-Asid", "200000001234")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "searches/s")
}

// searchURLs is a two-year search for every patient.
func searchURLs(base string, s *Sandbox) []string {
	var urls []string
	for _, p := range s.Patients() {
		urls = append(urls, base+"/mm/prescriptions?format=trace-summary&nhsNumber="+p.NHSNumber+"&earliestDate=20241124&latestDate=20261124")
	}
	return urls
}
