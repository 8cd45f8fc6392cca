package mongotest

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

func TestServerAndDatabase(t *testing.T) {
	uri, backend := Server(t)
	t.Logf("backend %s at %s", backend, uri)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Disconnect(ctx) }()
	a, b := Database(t, uri), Database(t, uri)
	if a == b {
		t.Fatalf("two databases share the name %s", a)
	}
	coll := c.Database(a).Collection("c")
	if _, err := coll.InsertOne(ctx, bson.M{"_id": "x", "n": 1}); err != nil {
		t.Fatal(err)
	}
	n, err := c.Database(b).Collection("c").CountDocuments(ctx, bson.M{})
	if err != nil || n != 0 {
		t.Fatalf("fresh database holds %d documents (%v)", n, err)
	}
}

func TestDockerAnswersFailsFast(t *testing.T) {
	for _, ep := range []string{"unix:///nonexistent/docker.sock", "tcp://127.0.0.1:1", "npipe:////./pipe/x", "%%"} {
		start := time.Now()
		if dockerAnswers(ep) {
			t.Errorf("%s: engine reported", ep)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: probe took %v", ep, d)
		}
	}
}
