# One image for the BFF, the worker and the migration job; it carries the built shell and remotes.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npx -y pnpm@10 install --frozen-lockfile && npx -y pnpm@10 build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000
COPY --from=build /app /app
# Uploaded documents (a volume shared by the BFFs and the worker in docker-compose.yml), owned by the runtime user.
RUN mkdir -p /data/documents && chown node:node /data/documents
EXPOSE 3000
USER node
CMD ["node", "--import", "tsx", "bff/src/main.ts"]
