# The original visit counter, as the 2015 demo had it: INCR then GET on one Redis key, answered by Flask's
# built-in development server. benchmarks/run measures it next to the gateway; nothing else uses it.
import os
import socket

from flask import Flask
from redis import Redis

app = Flask(__name__)
redis = Redis(host=os.environ.get("REDIS_HOST", "redis"), port=6379)


@app.route("/")
def hello():
    redis.incr("count")
    count = redis.get("count").decode()
    return f"Visit number {count}\nHostname: {socket.gethostname()}\n"


if __name__ == "__main__":
    redis.set("count", 0)
    app.run(host="0.0.0.0", port=5000)
