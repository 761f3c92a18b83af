package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// ClusterBootstrap estimates a confidence interval for the mean of x when
// its samples come in clusters (slices in patients): cluster[i] names the
// cluster of sample i. It draws n resamples of the clusters with
// replacement, each cluster bringing all its samples, takes the mean over
// the samples of each resample, and returns the full-sample mean with the
// percentile interval at the given level (e.g. 0.95), with numpy's default
// linear quantile interpolation. Resampling clusters, not samples, keeps
// the dependence inside a cluster: with one cluster the interval is the
// mean itself, however many samples it has. The clusters are resampled in
// the order they first appear in cluster, so the result depends on rng
// alone.
//
// It panics if the lengths differ, rng is nil, n < 1 or level is not in
// (0, 1). Empty input gives NaN throughout.
func ClusterBootstrap(x []float64, cluster []string, n int, rng *rand.Rand, level float64) (mean, lo, hi float64) {
	if len(x) != len(cluster) {
		panic(fmt.Sprintf("stats.ClusterBootstrap: lengths differ (%d and %d)", len(x), len(cluster)))
	}
	if rng == nil || n < 1 || !(level > 0 && level < 1) {
		panic(fmt.Sprintf("stats.ClusterBootstrap: need rng, n >= 1 and 0 < level < 1 (n=%d, level=%v)", n, level))
	}
	if len(x) == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	sums, counts := clusterSums(x, cluster)
	k := len(sums)
	boot := make([]float64, n)
	for b := range boot {
		var s, c float64
		for range k {
			j := rng.IntN(k)
			s += sums[j]
			c += counts[j]
		}
		boot[b] = s / c
	}
	slices.Sort(boot)
	a := (1 - level) / 2
	return avg(x), quantile(boot, a), quantile(boot, 1-a)
}

// clusterSums is the sum and the count of x in each cluster, the clusters
// in the order they first appear.
func clusterSums(x []float64, cluster []string) (sums, counts []float64) {
	at := map[string]int{}
	for i, c := range cluster {
		j, ok := at[c]
		if !ok {
			j = len(sums)
			at[c] = j
			sums, counts = append(sums, 0), append(counts, 0)
		}
		sums[j] += x[i]
		counts[j]++
	}
	return sums, counts
}
