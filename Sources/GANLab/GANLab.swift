/// Placeholder so the module builds; the lab joins GANEngine and WebServer.
public enum GANLabModule {}
