# The worker (the default target: production dependencies only) and, as target local-tooling, the local
# model server for docker-compose.yml.
FROM node:20-bookworm-slim AS base
WORKDIR /app
COPY package.json package-lock.json ./
ENTRYPOINT ["node", "bin/custom-labels-batch.js"]

FROM base AS sources
COPY bin ./bin
COPY src ./src
COPY tsconfig.json ./

# `local serve` and `local train` need the dev dependencies (TensorFlow.js, nsfwjs, sharp) and the sample data.
FROM base AS local-tooling
RUN npm ci --no-audit --no-fund
COPY --from=sources /app ./
COPY sample-data ./sample-data

FROM base AS worker
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=sources /app ./
CMD ["worker"]
