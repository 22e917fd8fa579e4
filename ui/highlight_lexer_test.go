package ui

import (
	"reflect"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// The copied lexer must tokenise exactly like the one chroma registers,
// so an upgrade of chroma that changes its nginx lexer shows up here.
func TestNginxLexerMatchesChroma(t *testing.T) {
	ours := nginxLexer()
	if ours == nil {
		t.Fatal("ui/nginx_lexer.xml does not load")
	}
	theirs := lexers.Get("nginx")
	if theirs == nil {
		t.Fatal("chroma has no nginx lexer any more")
	}
	src := `# Debian's default site, then ours
server {
	listen 443 ssl;
	server_name www.example.org;
	ssl_certificate /etc/httpsify/live/www.example.org/fullchain.pem;
	client_max_body_size 20m;
	location ~ \.php$ { return 404; }
	location / {
		proxy_pass http://unix:/run/gunicorn.sock;
		proxy_set_header X-Forwarded-Proto $scheme;
	}
	gzip on;
	include /etc/nginx/snippets/*.conf;
}
`
	tokens := func(l chroma.Lexer) []chroma.Token {
		it, err := chroma.Coalesce(l).Tokenise(nil, src)
		if err != nil {
			t.Fatal(err)
		}
		return it.Tokens()
	}
	if got, want := tokens(ours), tokens(theirs); !reflect.DeepEqual(got, want) {
		t.Fatalf("the copied nginx lexer differs from chroma's:\n got %v\nwant %v", got, want)
	}
}
