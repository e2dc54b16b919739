package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

// The Worker's settings: its vars and secrets, by name (wrangler.toml
// documents each). The mTLS certificate binding is SPINE.
const (
	settingUpstream  = "UPSTREAM_URL"     // Spine's base URL, ending in /mm/prescriptions
	settingASID      = "ASID"             // the gateway's ASID, 12 digits
	settingJWKS      = "JWKS"             // the identity provider's JWKS document
	settingJWKSURL   = "JWKS_URL"         // optional: where the provider publishes it (its jwks_uri)
	settingIssuer    = "ISSUER"           // the tokens' issuer
	settingAudience  = "AUDIENCE"         // the tokens' audience
	settingUserClaim = "USER_CLAIM"       // optional: the claim of the user's id
	settingRoleClaim = "ROLE_CLAIM"       // optional: the claim of the role profile id
	settingOrigins   = "ALLOWED_ORIGINS"  // optional: the portals' origins, separated by commas or spaces
	settingRate      = "RATE"             // optional: requests a second per user
	settingBurst     = "BURST"            // optional: requests at once per user
	settingAuditKey  = "AUDIT_KEY"        // a secret: the site's audit key
	settingPrefix    = "PREFIX"           // optional: a path before /mm/prescriptions
	settingTimeout   = "UPSTREAM_TIMEOUT" // optional: how long to wait for Spine, such as 20s
	bindingSpine     = "SPINE"            // the mTLS certificate binding
)

// settingOf names the Worker setting of each gateway.Config field that
// gateway.New may refuse, so that its refusals name what to change.
var settingOf = map[string]string{
	"Prefix":         settingPrefix,
	"Upstream":       settingUpstream,
	"Transport":      bindingSpine,
	"ASID":           settingASID,
	"Auth":           settingJWKS + ", " + settingIssuer + " and " + settingAudience,
	"Auth.Keys":      settingJWKS,
	"Auth.Issuer":    settingIssuer,
	"Auth.Audience":  settingAudience,
	"Auth.UserClaim": settingUserClaim,
	"Auth.RoleClaim": settingRoleClaim,
	"AllowOrigins":   settingOrigins,
	"Rate":           settingRate,
	"Burst":          settingBurst,
	"AuditKey":       settingAuditKey,
	"Timeout":        settingTimeout,
}

// configure makes the gateway's configuration from the Worker's settings,
// read with lookup, and its mTLS binding as a transport (nil when the
// Worker has none); web reaches the identity provider (the Worker's own
// fetch). Audit records go to sink. Every setting that is missing or wrong
// is named in the error, with how to put it right.
func configure(lookup func(name string) (string, bool), spine, web transport.Transport, sink audit.Sink) (gateway.Config, error) {
	var problems []error
	problem := func(setting, format string, args ...any) {
		problems = append(problems, fmt.Errorf("%s: %s", setting, fmt.Sprintf(format, args...)))
	}
	get := func(name string) string {
		v, _ := lookup(name)
		return strings.TrimSpace(v)
	}
	required := func(name, what string) string {
		v := get(name)
		if v == "" {
			problem(name, "it is missing: give %s", what)
		}
		return v
	}

	cfg := gateway.Config{
		Prefix:       get(settingPrefix),
		Upstream:     required(settingUpstream, "Spine's base URL, such as https://mm-sync.national.ncrs.nhs.uk/mm/prescriptions"),
		Transport:    spine,
		ASID:         required(settingASID, "the gateway's ASID, the 12 digits Spine issued with its certificate"),
		AllowOrigins: strings.FieldsFunc(get(settingOrigins), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }),
		Audit:        sink,
		Logger:       failureLog,
	}
	if spine == nil {
		problem(bindingSpine, "it is missing: give the Worker the mTLS certificate binding SPINE, the certificate Spine issued (see wrangler.toml)")
	}

	auth := &gateway.Auth{UserClaim: get(settingUserClaim), RoleClaim: get(settingRoleClaim)}
	if jwks := required(settingJWKS, "the identity provider's JWKS document, the JSON of its public keys"); jwks != "" {
		keys, err := gateway.ParseJWKS([]byte(jwks))
		if err != nil {
			problem(settingJWKS, "it is not a JWKS document the gateway can use: %v", err)
		}
		auth.Keys = keys
	}
	if v := get(settingJWKSURL); v != "" {
		u, err := url.Parse(v)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			problem(settingJWKSURL, "%q is not an https URL: give the identity provider's jwks_uri, as its OpenID configuration names it", v)
		} else {
			auth.Refresh = func(ctx context.Context) (gateway.Keys, error) { return fetchJWKS(ctx, web, u) }
		}
	}
	auth.Issuer = required(settingIssuer, "the identity provider's issuer, exactly as its tokens' iss claim has it")
	auth.Audience = required(settingAudience, "the audience the tokens are issued for (for an ID token, the portal's client id)")
	cfg.Auth = auth

	if secret := required(settingAuditKey, "the site's audit key, as a secret: wrangler secret put "+settingAuditKey); secret != "" {
		key, err := audit.NewKey(secret)
		if err != nil {
			problem(settingAuditKey, "%v", err)
		}
		cfg.AuditKey = key
	}

	if v := get(settingRate); v != "" {
		rate, err := strconv.ParseFloat(v, 64)
		if err != nil {
			problem(settingRate, "%q is not a number: give requests a second per user, such as %d", v, gateway.DefaultRate)
		}
		cfg.Rate = rate
	}
	if v := get(settingBurst); v != "" {
		burst, err := strconv.Atoi(v)
		if err != nil {
			problem(settingBurst, "%q is not a whole number: give how many requests a user may make at once, such as %d", v, gateway.DefaultBurst)
		}
		cfg.Burst = burst
	}
	if v := get(settingTimeout); v != "" {
		timeout, err := time.ParseDuration(v)
		if err != nil {
			problem(settingTimeout, "%q is not a duration: give how long to wait for Spine, such as %v", v, gateway.DefaultTimeout)
		}
		cfg.Timeout = timeout
	}
	return cfg, errors.Join(problems...)
}

// fetchJWKS fetches the identity provider's JWKS document from u through
// web, and reads its keys.
func fetchJWKS(ctx context.Context, web transport.Transport, u *url.URL) (gateway.Keys, error) {
	resp, err := web.Get(ctx, &transport.Request{URL: u, Header: transport.Header{"Accept": "application/json"}})
	switch {
	case errors.Is(err, ErrNoAnswer): // which speaks of Spine
		return gateway.Keys{}, fmt.Errorf("cannot fetch the keys from %s: no answer came from the identity provider", settingJWKSURL)
	case err != nil:
		return gateway.Keys{}, fmt.Errorf("cannot fetch the keys from %s: %v", settingJWKSURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return gateway.Keys{}, fmt.Errorf("cannot fetch the keys from %s: the provider answered HTTP %d", settingJWKSURL, resp.StatusCode)
	}
	return gateway.ReadJWKS(resp.Body)
}

// newGateway is the gateway of cfg, or New's refusal naming the Worker's
// setting rather than the Config field.
func newGateway(cfg gateway.Config) (*gateway.Handler, error) {
	h, err := gateway.New(cfg)
	var ce *gateway.ConfigError
	if errors.As(err, &ce) {
		setting, ok := settingOf[ce.Setting]
		if !ok {
			setting = ce.Setting
		}
		return nil, fmt.Errorf("%s: %s", setting, ce.Problem)
	}
	return h, err
}
