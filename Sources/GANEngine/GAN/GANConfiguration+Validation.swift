extension GANConfiguration {
    /// Throws the first value outside its range in the settings table (`GANConfiguration.settings`),
    /// naming its key and the allowed range, then the rules between fields.
    public func validate() throws(ConfigurationError) {
        for setting in Self.settings {
            do {
                _ = try setting.validated(setting.read(self))
            } catch {
                throw ConfigurationError(error, value: setting.read(self).description)
            }
        }
        if discriminator.batchNorm {
            throw ConfigurationError(field: "discriminator.batchNorm", value: "true", allowed: "false (batch norm is for the generator only)")
        }
    }
}

extension ConfigurationError {
    /// The same refusal as a `SettingError`, with the value as printed.
    init(_ error: SettingError, value: String) {
        switch error {
        case .outOfRange(let key, let value, let allowed), .unknownChoice(let key, let value, let allowed):
            self.init(field: key, value: value, allowed: allowed)
        default:
            let allowed = GANConfiguration.settingsByKey[error.key]?.allowedDescription ?? "a valid value"
            self.init(field: error.key, value: value, allowed: allowed)
        }
    }
}
