#include "kubeconfig/provider.h"

#include <QUrl>

namespace orchestra::kubeconfig {

namespace {

bool hasMinikubeExtension(const QList<NamedExtension> &extensions)
{
    for (const NamedExtension &extension : extensions) {
        if (extension.extension.toObject().value(QStringLiteral("provider")).toString() ==
            QLatin1String("minikube.sigs.k8s.io"))
            return true;
    }
    return false;
}

Provider make(Provider::Kind kind, const char *label)
{
    return Provider{kind, QString::fromLatin1(label)};
}

} // namespace

Provider detectProvider(const Kubeconfig &config, const Context &context)
{
    const Cluster *cluster = config.cluster(context.cluster);
    const AuthInfo *user = config.user(context.user);
    const QUrl server(cluster ? cluster->server : QString());
    const QString host = server.host().toLower();
    const QString command = user && user->exec ? user->exec->command.section(QLatin1Char('/'), -1) : QString();
    const QStringList args = user && user->exec ? user->exec->args : QStringList();

    if (hasMinikubeExtension(context.extensions) || (cluster && hasMinikubeExtension(cluster->extensions)))
        return make(Provider::Kind::Minikube, "minikube");
    // Rancher proxies every downstream cluster under /k8s/clusters/<id>; authorized-endpoint contexts
    // (<cluster>-fqdn, <cluster>-<node>) share the Rancher token user with it.
    if (server.path().startsWith(QLatin1String("/k8s/clusters/")))
        return make(Provider::Kind::Rancher, "Rancher");
    if (user && user->token.startsWith(QLatin1String("kubeconfig-user-")))
        return make(Provider::Kind::Rancher, "Rancher");
    if (command == QLatin1String("gke-gcloud-auth-plugin") || context.cluster.startsWith(QLatin1String("gke_")) ||
        (user && user->authProviderName == QLatin1String("gcp")))
        return make(Provider::Kind::Gke, "GKE");
    if (host.endsWith(QLatin1String(".eks.amazonaws.com")) || command == QLatin1String("aws-iam-authenticator") ||
        (command == QLatin1String("aws") && args.contains(QLatin1String("eks"))) ||
        context.cluster.startsWith(QLatin1String("arn:aws:eks:")))
        return make(Provider::Kind::Eks, "EKS");
    if (host.endsWith(QLatin1String(".azmk8s.io")) || command == QLatin1String("kubelogin") ||
        (user && user->authProviderName == QLatin1String("azure")))
        return make(Provider::Kind::Aks, "AKS");
    if (context.cluster.startsWith(QLatin1String("kind-")))
        return make(Provider::Kind::Kind, "kind");
    if (context.cluster.startsWith(QLatin1String("k3d-")))
        return make(Provider::Kind::K3d, "k3d");
    if (context.name == QLatin1String("docker-desktop"))
        return make(Provider::Kind::DockerDesktop, "Docker Desktop");
    if (context.cluster == QLatin1String("minikube"))
        return make(Provider::Kind::Minikube, "minikube");
    return {};
}

} // namespace orchestra::kubeconfig
