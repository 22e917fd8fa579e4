package renewdue

import (
	"sync"

	"github.com/go-acme/lego/v4/certificate"
)

// Lazy defers making the real fetcher until an answer must be fetched:
// lego's NewClient fetches the CA's directory at once, so a check where
// every answer is cached would otherwise still touch the network.
func Lazy(newFetcher func() (RenewalInfoFetcher, error)) RenewalInfoFetcher {
	return &lazy{newFetcher: newFetcher}
}

type lazy struct {
	once       sync.Once
	newFetcher func() (RenewalInfoFetcher, error)
	f          RenewalInfoFetcher
	err        error
}

func (l *lazy) GetRenewalInfo(req certificate.RenewalInfoRequest) (*certificate.RenewalInfoResponse, error) {
	l.once.Do(func() { l.f, l.err = l.newFetcher() })
	if l.err != nil {
		return nil, l.err
	}
	return l.f.GetRenewalInfo(req)
}
