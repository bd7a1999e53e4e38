# syntax=docker/dockerfile:1
#
# One image for every Maestro service. There is no build step: services run from their TypeScript
# sources through tsx (a devDependency), so dev dependencies are installed too.
#
#   docker build -t maestro .
#   docker run --rm maestro planner                      # the service is the command...
#   docker build --build-arg SERVICE=planner -t maestro-planner .
#   docker run --rm maestro-planner                      # ...or baked in with the build arg
#
# docker-compose.yml builds this image for each service and picks the service with `command`.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- manifests: only what `npm ci` reads, with its directory layout --------------------------------
# Copying just these into the next stage keeps the (slow) install layer cached until a manifest or
# the lockfile changes, and needs no per-workspace COPY line when a library or service is added.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -maxdepth 3 -path ./node_modules -prune -o \
      \( -name package.json -o -name package-lock.json -o -name .npmrc \) -type f -print \
    | xargs cp --parents -t /manifests \
 && test -f /manifests/package-lock.json

# --- deps: the locked dependency tree, dev dependencies included (tsx runs the services) -----------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --include=dev --no-audit --no-fund

# --- runtime ---------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=""
ENV MAESTRO_SERVICE=${SERVICE} \
    HTTP_HOST=0.0.0.0
WORKDIR /app
# The installed tree (root node_modules and the workspace links into libs/ and services/), then the
# sources over it; .dockerignore keeps every node_modules out of the context, so nothing is clobbered.
COPY --from=deps /app/ ./
COPY . .
# Gateway, then planner, dispatcher, ingest, discovery, detector, healer, optimizer, router.
EXPOSE 8080 9101 9102 9103 9104 9105 9106 9107 9108 9109 9110
# The image's unprivileged user (uid 1000). Sources stay root-owned and read-only to it; tsx keeps its
# transform cache under /tmp.
USER node
ENTRYPOINT ["sh", "/app/infra/docker/run-service.sh"]
CMD []
