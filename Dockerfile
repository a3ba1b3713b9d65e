# The mock as a container: a static binary on an empty image.
#   docker build -t globus-conformance-mock .
#   docker run --rm -p 8080:8080 globus-conformance-mock
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=unknown
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/globus-conformance/kit/cmd/internal/buildinfo.version=${VERSION} -X github.com/globus-conformance/kit/cmd/internal/buildinfo.commit=${COMMIT}" \
	-o /mockserver ./cmd/mockserver

FROM scratch
COPY --from=build /mockserver /mockserver
EXPOSE 8080
# Inside a container the mock must listen on every interface; the control plane still answers
# only requests whose Host is localhost or an IP address (add --allowed-host for a service name),
# and --control-token (or MOCKSERVER_CONTROL_TOKEN) guards it further.
ENTRYPOINT ["/mockserver", "--addr", "0.0.0.0:8080"]
