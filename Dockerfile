# The worker and the local model server, for docker-compose.yml.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY sample-data ./sample-data
COPY tsconfig.json ./
ENTRYPOINT ["node", "bin/custom-labels-batch.js"]
CMD ["worker"]
