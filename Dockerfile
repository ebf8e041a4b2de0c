# The worker (the default target: compiled JavaScript, production dependencies only, a non-root user) and,
# as target local-tooling, the local model server for docker-compose.yml.
FROM node:22-bookworm-slim AS base
WORKDIR /app
COPY package.json package-lock.json ./

FROM base AS dev-dependencies
RUN npm ci --no-audit --no-fund

# `local serve` and `local train` need the dev dependencies (TensorFlow.js, nsfwjs, sharp) and the sample
# data; they run the sources through tsx, like `npm run cli`.
FROM dev-dependencies AS local-tooling
COPY bin ./bin
COPY src ./src
COPY tsconfig.json ./
COPY sample-data ./sample-data
ENTRYPOINT ["node", "bin/custom-labels-batch.js"]

# `npm run build`: tsc into lib/, the workflow bundle prebuilt beside it.
FROM dev-dependencies AS build
COPY src ./src
COPY tsconfig.json ./
RUN npm run build

FROM base AS production-dependencies
RUN npm ci --omit=dev --no-audit --no-fund
# @temporalio/core-bridge ships its native library for five platforms, ~28 MB each; keep the one it loads here.
RUN keep="$(node -p "require('@temporalio/core-bridge/common').getPrebuiltTargetName()")" \
  && find node_modules/@temporalio/core-bridge/releases -mindepth 1 -maxdepth 1 ! -name "$keep" -exec rm -rf {} +

FROM node:22-bookworm-slim AS worker
WORKDIR /app
ENV NODE_ENV=production
COPY package.json ./
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
USER node
# Healthy while the worker keeps refreshing this file: every 10 s, when both its workers are polling and
# Temporal answers. The check itself loads one small file, not the CLI.
ENV WORKER_HEALTH_FILE=/tmp/worker-health
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "lib/health-check.js"]
ENTRYPOINT ["node", "lib/cli/main.js"]
CMD ["worker"]
