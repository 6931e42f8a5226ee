# Stand-in for the official nginx image where it cannot be pulled: Debian's nginx (1.22), reading
# /etc/nginx/nginx.conf like the official image. benchmarks/run builds it only when needed.
FROM debian:bookworm
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/* \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
