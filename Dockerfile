# syntax=docker/dockerfile:1
# The hub, its outbox worker, the migration step and the Liquid Logic simulator share this image;
# compose.yaml picks the entry with `command`. Build: docker build -t early-help-hub .

ARG NODE_IMAGE=node:22-bookworm-slim

# ── build: compile TypeScript to dist/, then keep only the runtime dependencies ──
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY schema ./schema
COPY src ./src
COPY resolvers ./resolvers
COPY adapters ./adapters
COPY seeds ./seeds
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# ── runtime: node and the compiled code, owned by root, run as the unprivileged `node` user ──
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Nothing is written under /app at run time, so the container can run with a read-only root
# filesystem (compose.yaml: read_only: true). Logs go to stdout.
USER node
EXPOSE 4000
# Ready means the database answers and the migrations are in (GET /readyz).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form, no npm or shell: node is PID 1 and gets the runtime's SIGTERM itself (it installs
# the handlers PID 1 needs, and drains: README, Deployment).
CMD ["node", "dist/src/main.js"]
